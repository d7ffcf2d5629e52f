def log = new File(basedir, 'build.log').text
def runs = log.split(/Local AWS \(EMULATORS\)/)
assert runs.size() == 3 : 'two Maven runs'
def deploy = runs[1]
def status = runs[2]
def url = (deploy =~ /Local preview of \S+: (http:\/\/127\.0\.0\.1:\d+\/)/)[0][1]
assert status.contains('status:      DEPLOYED')
assert status.contains('Local preview: not running') : 'status says the preview is not running'
assert status.contains('Start it with: mvn oneclick:deploy -Doneclick.target=local')
assert !status.contains(url) : "status prints no dead link (${url})"
assert !status.contains('"siteUrl"')
return true
