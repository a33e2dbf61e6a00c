' TABLE fields: sizes (n) and (n, m), modifiers, a field named End, SQL-style commas
TABLE Customers ON maria
  Id number key
  Name string(150) NOT NULL
  Email string (255) UNIQUE
  Price double(10, 2) DEFAULT 0
  Status string(20) DEFAULT 'active'
  CustomerId number REFERENCES Customers(Id)
  End date
END TABLE
TABLE Orders
  Id number key,
  Total number(10,2),
  Created date
END TABLE
