' APPEND list, item adds the item to the list (a variable, a property or an element)
items = []
APPEND items, "coffee"
APPEND items, #{ name: "tea", qty: 2 }
APPEND order.lines, line
append cart[0].tags, "gift"
