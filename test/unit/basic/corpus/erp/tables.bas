TABLE products ON erp
  sku string(20) KEY
  name string(150)
  cost double(10, 2)
  price double(10, 2)
END TABLE

TABLE inventory ON erp
  sku string(20)
  warehouse string(50)
  qty integer
END TABLE

TABLE purchase_orders ON erp
  number string(20) KEY
  sku string(20)
  qty integer
  supplier string(100)
  total double(12, 2)
  status string(20)
END TABLE
