// Command-line tasks of the participation module (see core/control.ts defineCommand).
export {};
