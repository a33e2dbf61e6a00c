PARAM image AS IMAGE DESCRIPTION "Photo of the QR code printed on the document"
DESCRIPTION "Reads a QR code and opens the document it points to"

code = SCAN BARCODE image
IF code = "" THEN
  TALK "I could not read that code. Please send a sharper photo."
  RETURN
END IF

doc = FIND "documents", "code=" + code
IF UBOUND(doc) < 0 THEN
  TALK "No document is registered under code " + code
ELSE
  TALK "📄 " + doc[0].title
  TALK doc[0].url
END IF
