# Windows: build dist\diagwizard.exe, the wheel and the sdist from a clean clone.
# The same steps as scripts/build (keep the two in step):
#   1. uv build -> dist\diagwizard-*.whl, dist\diagwizard-*.tar.gz
#   2. build\venv: the locked runtime dependencies + PyInstaller + the project, installed
#      as a normal (not editable) package, so the program holds what the wheel holds
#   3. pyinstaller packaging\diagwizard.spec -> dist\diagwizard.exe
#   4. smoke test: dist\diagwizard.exe --version
# Needs Python 3.11+ on PATH; installs uv with pip when it is missing.
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Step([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed ($LASTEXITCODE)" }
}

if (-not (Get-Command uv -ErrorAction SilentlyContinue)) {
    Invoke-Step python @("-m", "pip", "install", "--quiet", "uv")
}
$env:UV_PYTHON_DOWNLOADS = "never"

Write-Host "==> wheel and sdist"
Remove-Item -Force -ErrorAction SilentlyContinue dist\diagwizard.exe, dist\diagwizard-*.whl, dist\diagwizard-*.tar.gz
Invoke-Step uv @("build", "--quiet", "--out-dir", "dist")

Write-Host "==> build environment (build\venv)"
$env:UV_PROJECT_ENVIRONMENT = Join-Path $Root "build\venv"
# --reinstall-package: the version does not change with every commit; uv would keep the
# copy an earlier build installed.
Invoke-Step uv @("sync", "--frozen", "--quiet", "--no-dev", "--group", "build", "--no-editable", "--reinstall-package", "diagwizard")

Write-Host "==> one-file program"
Invoke-Step (Join-Path $Root "build\venv\Scripts\pyinstaller.exe") @(
    "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", (Join-Path $Root "dist"), "--workpath", (Join-Path $Root "build\pyinstaller"),
    "packaging\diagwizard.spec")

Invoke-Step (Join-Path $Root "dist\diagwizard.exe") @("--version")
Get-ChildItem dist
