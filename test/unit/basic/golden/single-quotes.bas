' Quotes: ' and '' inside "…" stay as written; '…' is a string where a value is due (else a comment); a \ that is no Rhai escape stays a \
TALK "It's ready, isn't it?"
TALK "Say ''hi'' to the ""team"""
filter = "name = '" + name + "'"
IF nickname = '' THEN nickname = 'friend'
TALK 'It''s ' + nickname ' greet by nickname
path = "D:\data\files"
