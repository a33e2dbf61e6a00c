' { "key": value } and {} are object literals (maps), as #{ … } is
order = { "product": product, "qty": 2, total: price * 2 }
empty = {}
nested = { customer: { "name": name }, tags: ["new", "vip"] }
r = POST "https://api.example.com/orders", { "id": order.id }
