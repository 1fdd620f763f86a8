// Command-line tasks of the governance module (see core/control.ts defineCommand).
export {};
