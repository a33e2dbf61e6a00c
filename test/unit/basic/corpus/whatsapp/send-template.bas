PARAM phone AS PHONE DESCRIPTION "Phone number with country code"
PARAM template AS STRING LIKE "order_update" DESCRIPTION "Approved template name"
PARAM name AS STRING DESCRIPTION "Customer name"
DESCRIPTION "Sends an approved WhatsApp template message"

SEND_TEMPLATE phone, template, #{ name: name }
LOG_INFO "template " + template + " sent to " + phone
TALK "Message sent to " + phone + "."
