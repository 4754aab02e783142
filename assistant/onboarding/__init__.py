"""Onboarding new officers: glossary, indicator definitions (口径), reading path and quizzes — all cited."""
