total = Add(2, 3)
CALL Greet("Ana")
Greet "Bruno"
greet("Carla")
CALL external_flow
FUNCTION Add(a, b)
  Add = a + b
END FUNCTION
SUB Greet(name AS STRING)
  IF name = "" THEN EXIT SUB
  message = "Hello " + name
  TALK message
END SUB
FUNCTION Square(n)
  RETURN n * n
END FUNCTION
