// Command-line tasks of the reports module (see core/control.ts defineCommand).
export {};
