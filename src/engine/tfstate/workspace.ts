// Which Terraform workspace a local state file belongs to, from where it is stored:
// `terraform.tfstate.d/<workspace>/terraform.tfstate` for the local backend, else `default`.

const LOCAL_WORKSPACE = /(?:^|\/)terraform\.tfstate\.d\/([^/]+)\/[^/]+$/;

export function workspaceFromPath(path: string): string {
  return LOCAL_WORKSPACE.exec(path.replaceAll('\\', '/'))?.[1] ?? 'default';
}
