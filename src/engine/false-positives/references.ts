// Values that are not values: template expressions, variable references and masked output.
// A config that says `password: ${DB_PASSWORD}` or `token = os.getenv("TOKEN")` leaks nothing.

const TEMPLATES: RegExp[] = [
  /\$\{[^}]*\}/, // ${VAR}, ${{ secrets.X }}
  /\{\{[^}]*\}\}/, // {{ .Values.x }}, {{ssm:/path}}
  /\$\([^)]*\)/, // $(command), $(VAR) in Makefiles and Azure Pipelines
  /#\{[^}]*\}/, // #{interpolation} (Ruby, Octopus)
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR% (Windows)
  /^%[-+ #0-9.]*[sdvqxr]$|%\([A-Za-z_]+\)[sdr]/, // printf-style
  /^\{[A-Za-z0-9_]{0,40}\}$/, // {0}, {name}: format fields
  /^<[^<>]{1,80}>$/, // <your-key>
  /^\[[^[\]]{1,60}\]$/, // [REDACTED]
  /\*{3}/, // masked by CI
];

/** Dotted references to where the value lives: var.db_password, process.env.X, secrets.X... */
const REFERENCE =
  /^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|env|ENV|secrets|vars|var|local|locals|data|module|inputs|needs|steps|github|matrix|settings|config|conf|cfg|self|this|cls|ctx|context|options|opts|args|params|props|System\.getenv|Environment\.GetEnvironmentVariable|dependency|output|outputs|values|Values|parameters|variables)(?:\.|\[|\()/;

/** Pointers into secret stores: the secret is elsewhere. */
const STORE_POINTER = /^(?:arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):|vault:|ref\+[a-z]+:\/\/|sm:\/\/|gcp:secretmanager:|azurekeyvault:|op:\/\/|!Ref|!Sub|!GetAtt)/;

export function isReference(secret: string): boolean {
  if (REFERENCE.test(secret) || STORE_POINTER.test(secret)) return true;
  return TEMPLATES.some((re) => re.test(secret));
}
