a = 1 + 2 * 3
b = (1 + 2) * 3
c = 2 ^ 3 ^ 2
d = -x ^ 2
e = 10 MOD 3 * 2
f = "Total: " & a + b
g = NOT a = b
h = a <> b AND (c >= d OR e <= f)
i = [1, 2.5, .5, "x"]
j = #{ name: "Ana", "full name": "Ana Lima", nested: #{ k: [1] } }
k = j.nested.k[0] + LEN(j.name)
l = `Hello ${j.name}, you are ${a + 1}`
m = "say ""hi"" and \"bye\""
n = TRUE OR FALSE
o = a XOR b
p = UCASE(TRIM(name)) + items.len()
q = a / b - c % d
