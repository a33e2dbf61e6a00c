' SAVE table, a, b, … → INSERT table, #{ a: a, b: b, … } (columns named after the variables)
SAVE "contacts.xlsx", name, email, mobile
SAVE "orders", order.id, order.total, today
SAVE "leads", lead
SAVE "log", #{ at: NOW(), what: action }
