// Command-line tasks of the companies module (see core/control.ts defineCommand).
export {};
