"""Question → answer: understanding, the grounded composer, the LLM agent and the number checker."""
