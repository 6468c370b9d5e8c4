; Inno Setup script: a per-user installer for Resettle that needs no administrator rights.
;
; Build on a Windows machine (see packaging/README.md, "Windows"):
;   1. pyinstaller --noconfirm packaging\resettle.spec      -> dist\resettle\
;   2. "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\resettle.iss
;                                                            -> dist\Resettle-Setup-<version>.exe
;
; Installs into %LOCALAPPDATA%\Programs\Resettle (PrivilegesRequired=lowest: no UAC prompt),
; adds a Start-menu shortcut, and NEVER touches the data folder (%LOCALAPPDATA%\Resettle, or
; data\ beside the program in portable mode) on upgrade or uninstall.

#define AppName "Resettle"
#define AppVersion "0.1.0"
#define SourceDir "..\..\dist\resettle"

[Setup]
AppId={{6F0D3B6C-2D43-4B8E-9A51-5C1E7A9D2F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Resettle
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DisableProgramGroupPage=yes
DisableDirPage=yes
OutputDir=..\..\dist
OutputBaseFilename=Resettle-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName={#AppName}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
; The whole one-folder build. The data folder is not in here, so it is never replaced.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\ResettleWindow.exe"; WorkingDir: "{app}"
Name: "{userprograms}\{#AppName} self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\resettle.exe"" self-test"; WorkingDir: "{app}"

[Run]
; In a console that stays open, so the OK / FAILED lines can be read.
Filename: "{cmd}"; Parameters: "/k ""{app}\resettle.exe"" self-test"; WorkingDir: "{app}"; Description: "Run the self-test now"; Flags: postinstall nowait skipifsilent

[UninstallDelete]
; Only what the installer put there. %LOCALAPPDATA%\Resettle (the encrypted database, key
; slots and backups) and any portable data\ folder are deliberately left alone.
Type: filesandordirs; Name: "{app}\_internal"
