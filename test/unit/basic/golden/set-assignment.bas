' SET x = … is an assignment (SET BOT MEMORY and SET SCHEDULE keep their meaning)
SET greeting = "Hello"
SET count = count + 1
SET user.name = "Ana"
SET BOT MEMORY "greeting", greeting
IF count > 1 THEN SET greeting = "Welcome back"
