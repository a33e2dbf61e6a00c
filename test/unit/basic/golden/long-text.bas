' A long interpolated text is split into groups that each start with a text, so + stays concatenation
' and the runtime's parser does not nest too deep (every operator of a chain costs it a level)
BEGIN MAIL customer.email
Subject: Order ${order.id}
${a1} ${a2} ${a3} ${a4} ${a5} ${a6} ${a7} ${a8} ${a9}
END MAIL
