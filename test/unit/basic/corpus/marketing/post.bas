PARAM text AS STRING DESCRIPTION "Text of the post"
PARAM image AS STRING LIKE "https://example.com/banner.png" DESCRIPTION "Image URL"
DESCRIPTION "Publishes a post on Instagram and LinkedIn"

POST TO INSTAGRAM image, text
POST TO LINKEDIN image, text
TALK "Posted on Instagram and LinkedIn."
