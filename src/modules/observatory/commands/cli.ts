// Command-line tasks of the observatory module (see core/control.ts defineCommand).
export {};
