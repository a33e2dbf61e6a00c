' UPDATE table SET column = value, … WHERE column = value → the runtime's UPDATE table, filter, data
UPDATE "customers" SET status = "vip", visits = visits + 1 WHERE id = customerId
UPDATE "orders" SET paid = TRUE WHERE id = order.id AND customer = customerId
UPDATE "settings" SET theme = "dark"
UPDATE "orders", "id=" + order.id, #{ status: "sent" }
