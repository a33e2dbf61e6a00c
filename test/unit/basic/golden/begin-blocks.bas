BEGIN TALK
  Hello ${name}!
  ' a comment line is skipped

  You have ${count + 1} new messages, "${name}".
END TALK
BEGIN MAIL customer.email
Subject: Your order ${order.id}
Dear ${name},

Your order ships today.
END MAIL
