// Operations commands: backup and restore (see docs/operations.md).
export {};
