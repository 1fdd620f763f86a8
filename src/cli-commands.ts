// Every module's command-line tasks, registered on import (see core/control.ts defineCommand).
import "./modules/accounts/commands/cli.ts";
import "./modules/observatory/commands/cli.ts";
import "./modules/reports/commands/cli.ts";
import "./modules/companies/commands/cli.ts";
import "./modules/participation/commands/cli.ts";
import "./modules/governance/commands/cli.ts";
import "./core/ops/cli.ts";
