def log = new File(basedir, 'build.log').text
def plan = log.split(/Plan for /)[1]
def excluded = (plan =~ /(?m)^\[INFO\]   exclude (\S+)/).collect { it[1] }
assert excluded == ['.env', 'assets/app.js.map', 'drafts/', 'node_modules/', 'server.pem'] : "plan excludes ${excluded}"
def uploads = (plan =~ /(?m)^\[INFO\]   upload (\S+)/).collect { it[1] }
assert uploads.sort() == ['.well-known/security.txt', 'assets/app.js', 'index.html'] : "plan uploads ${uploads}"
assert plan.contains('0 unchanged, 5 excluded')
assert log =~ /Files: 3 uploaded \(\d+ bytes\), 0 headers updated, 0 deleted, 0 unchanged, 5 excluded \(oneclick:plan lists them\)/
// nothing of the junk reached the local bucket's store
def store = new File(basedir, 'target/oneclick-local')
def stored = []
if (store.exists()) {
    store.eachFileRecurse(groovy.io.FileType.FILES) { f -> stored << f.name }
}
assert stored.contains('security.txt') : "the local store holds the uploaded files (looked in ${store}: ${stored})"
['.env', 'server.pem', 'wip.html', 'app.js.map'].each { n -> assert !stored.contains(n) : "${n} was uploaded" }
assert !log.contains('not-a-real-secret')
return true
