def log = new File(basedir, 'build.log').text
def guid = '9e0f1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b'
def runs = log.split(/Local AWS \(EMULATORS\)/).drop(1)
assert runs.size() == 5 : "five Maven runs, got ${runs.size()}"
assert runs[0].contains('Changes:     1 created, 1 file uploaded') : 'the first deploy lists its changes'
assert runs[1].contains('Changes:     no changes (nothing created, repaired, uploaded or deleted)')
assert runs[2].contains('status:      DEPLOYED')
assert runs[2] =~ /Last deploy from this folder \([^)]+\): no changes/
// the local target's summary shows the GUID and the state folder
assert runs[0].contains("GUID:        ${guid}")
assert runs[0] =~ /Local state: \S+oneclick-local/
assert runs[3].contains("Destroyed ${guid}: status DESTROYED")
assert runs[4].contains("Project ${guid} is already destroyed") : 'the second destroy says it was already destroyed'
assert !runs[4].contains("Destroyed ${guid}: status DESTROYED")
return true
