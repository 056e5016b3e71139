; Inno Setup script: installs the bundle (installer/bundle/instancias.spec, built on Windows)
; for the current user, without administrator rights.
;   iscc /DAppVersion=0.1.0 /DBundle=..\..\dist\instancias-desktop installer\windows\instancias.iss
; Upgrades in place (same AppId): the program folder is replaced, the profile is not touched
; (it lives in %LOCALAPPDATA%\MIMP\instancias_desktop, outside the program folder).
; Uninstalling keeps the profile unless she ticks «Borrar también mis datos».

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef Bundle
  #define Bundle "..\..\dist\instancias-desktop"
#endif

[Setup]
AppId={{6B1C7F3E-4D2A-4E8B-9C51-2F0A6D7E8B13}
AppName=Instancias de Concertación
AppVersion={#AppVersion}
AppPublisher=Ministerio de la Mujer y Poblaciones Vulnerables
DefaultDirName={localappdata}\Programs\Instancias de Concertación
DefaultGroupName=Instancias de Concertación
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DisableProgramGroupPage=yes
OutputBaseFilename=instancias-desktop-{#AppVersion}-windows-x64
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes
UninstallDisplayName=Instancias de Concertación

[Languages]
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole program folder (never the profile, which is elsewhere).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{userprograms}\Instancias de Concertación"; Filename: "{app}\instancias-desktop.exe"
Name: "{userdesktop}\Instancias de Concertación"; Filename: "{app}\instancias-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Crear un acceso directo en el escritorio"; Flags: unchecked

[Run]
Filename: "{app}\instancias-desktop.exe"; Description: "Abrir Instancias de Concertación"; Flags: nowait postinstall skipifsilent

[Code]
var
  EraseData: Boolean;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usUninstall then
    EraseData := MsgBox('¿Borrar también sus datos (el perfil con las visitas y actas de este ' +
      'equipo)? Lo que no se sincronizó se perderá. Responda «No» para conservarlos.',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if (CurUninstallStep = usPostUninstall) and EraseData then
    DelTree(ExpandConstant('{localappdata}\MIMP\instancias_desktop'), True, True, True);
end;
