' CALL "name" runs another script by name, as CALL name does; a SUB of this script is called directly
CALL "checkout"
CALL payment
CALL "Notify"
SUB Notify
  TALK "done"
END SUB
