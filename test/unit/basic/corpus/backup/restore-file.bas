PARAM file AS STRING LIKE "contract.pdf" DESCRIPTION "Name of the file to restore"
PARAM day AS DATE LIKE "2024-05-01" DESCRIPTION "Day of the backup"
DESCRIPTION "Restores a file from a backup"

source = "backup/" + day + "/" + file
COPY source, "documents/" + file
TALK "Restored " + file + " from the backup of " + day + "."
