"""The ledgers as tables a person browses: filtered views of 项目, 企业, 走访记录 and 问题 with derived status,
a project's timeline, the 考核 drill-down rows, Excel export and import templates. Read-only over a FigureStore
(a county officer's store sees only their region); the workspace applies access and audit, the workbench renders."""
