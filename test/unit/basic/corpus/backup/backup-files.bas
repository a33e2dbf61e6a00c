SET SCHEDULE "every day at 2am"
DESCRIPTION "Copies every file of the drive into the backup folder"

stamp = FORMAT(NOW(), "yyyy-MM-dd")
files = LIST "documents"
copied = 0
FOR EACH file IN files
  COPY "documents/" + file, "backup/" + stamp + "/" + file
  copied = copied + 1
NEXT file
COMPRESS "backup/" + stamp, "backup/" + stamp + ".zip"
SEND MAIL "ops@example.com", "Backup " + stamp, copied + " files copied."
