def log = new File(basedir, 'build.log').text
def guid = '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d'
def bucket = "tmux-builder-${guid}"
def state = new File(basedir, 'target/oneclick-local')

// five separate Maven runs: each started its own emulators on the same state folder
def starts = (log =~ /Local AWS \(EMULATORS\)/).count
assert starts == 5 : "expected five Maven runs each starting the emulators, got ${starts}"
assert log.contains("The local state (buckets, tables, records) is kept in ${state.canonicalPath}") ||
        log.contains("The local state (buckets, tables, records) is kept in ${state.absolutePath}")
assert log.contains('Wiped the local state in') : 'the first run resets the state (oneclick.local.reset=true)'

// the first deploy uploads the three files; the second, in a new Maven run, finds them all unchanged
def files = (log =~ /Files: (\d+) uploaded/).collect { it[1] as int }
assert files == [3, 0] : "uploads of the two deploys: ${files}"
assert log.contains('Files: 0 uploaded (0 bytes), 0 headers updated, 0 deleted, 3 unchanged')

// status in its own run prints the DEPLOYED record written by the earlier runs, with no "not deployed" warning
def runs = log.split(/Local AWS \(EMULATORS\)/)
def firstStatus = runs[3]
assert firstStatus.contains("projectId:   ${guid}")
assert firstStatus.contains('userId:      it-user')
assert firstStatus.contains('status:      DEPLOYED')
assert firstStatus.contains(bucket)
assert !log.contains("no deploy of ${guid} is in the local state")

// destroy in its own run removes the bucket and marks the record DESTROYED; the next run still sees it
assert runs[4].contains("Destroyed ${guid}: status DESTROYED")
assert runs[5].contains('status:      DESTROYED')
assert !new File(state, "s3/${bucket}").exists() : 'destroy removed the bucket folder of the filesystem store'

// the state folder: s3proxy's filesystem store, dynalite's LevelDB database, the lock file
assert new File(state, 'dynamodb/CURRENT').isFile()
assert new File(state, 's3').isDirectory()
assert new File(state, '.lock').isFile()
return true
