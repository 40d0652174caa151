#!/usr/bin/env bash
# Validates the Office add-in manifests offline against the 2020 XML schemas (office-addin-manifest
# validate needs the network). Usage: scripts/validate-manifests.sh [manifest ...]
# (default: manifest.xml manifest.outlook.xml). OFFICE_MANIFEST_SCHEMAS overrides the schema folder.
set -euo pipefail
cd "$(dirname "$0")/.."

schemas="${OFFICE_MANIFEST_SCHEMAS:-../shared/office-manifest-schemas}"
schema="$schemas/OfficeAppManifestV1_1.xsd"

if ! command -v xmllint >/dev/null 2>&1; then
  cat >&2 <<'ADVICE'
error: xmllint is not installed, so the manifests cannot be validated.
  Debian/Ubuntu: sudo apt-get install libxml2-utils
  Fedora/RHEL:   sudo dnf install libxml2
  macOS:         xmllint ships with the system (or: brew install libxml2)
  Windows:       use WSL, or install libxml2 (e.g. choco install xsltproc)
ADVICE
  exit 127
fi
if [ ! -f "$schema" ]; then
  echo "error: no schema at $schema: set OFFICE_MANIFEST_SCHEMAS to the folder holding OfficeAppManifestV1_1.xsd." >&2
  exit 2
fi

manifests=("$@")
[ ${#manifests[@]} -gt 0 ] || manifests=(manifest.xml manifest.outlook.xml)
# The 2020 schemas predate <Runtimes> (a shared runtime, SharedRuntime 1.1): it is blanked out (keeping
# the line numbers) and the rest validated; test/functions/manifest-functions.test.ts checks <Runtimes>.
# They also predate the Outlook task pane's <SupportsPinning> and <SupportsMultiSelect> (children of a
# VersionOverridesV1_1 ShowTaskpane action): blanked the same way; test/manifests.test.ts checks them.
workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
failed=0
for manifest in "${manifests[@]}"; do
  checked="$workdir/$(basename "$manifest")"
  perl -0pe 's{<Runtimes>.*?</Runtimes>|<(SupportsPinning|SupportsMultiSelect)>\s*(?:true|false)\s*</\1>}{my $block = $&; "\n" x ($block =~ tr/\n//)}gse' "$manifest" >"$checked"
  if ! xmllint --noout --schema "$schema" "$checked"; then
    echo "error: $manifest does not validate against $schema" >&2
    failed=1
  fi
done
exit "$failed"
