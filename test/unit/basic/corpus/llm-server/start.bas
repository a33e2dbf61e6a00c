SET MODEL ROUTING "quality"
ADD TOOL "generate"
TALK "LLM server ready. Send a prompt."
