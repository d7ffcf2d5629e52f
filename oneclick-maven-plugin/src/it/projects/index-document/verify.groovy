def log = new File(basedir, 'build.log').text
assert log.contains('Invalid oneclick.indexDocument: The site folder ') : 'the failure names oneclick.indexDocument'
assert log.contains('has no index.html (the index document; its top level holds assets/, readme.txt)')
assert log.contains('indexDocument=none to deploy a tree without an entry page')
def firstRun = log.split(/Invalid oneclick.indexDocument/)[0]
assert !firstRun.contains('Starting the local AWS endpoints') : 'refused before the local target starts'

def root = new File(basedir, 'target/probe-root.html').text
assert root.contains('main.html is the entry page') : "/ serves the index document main.html: ${root}"
def lines = new File(basedir, 'target/probe.txt').readLines().drop(1)
def codes = lines.collectEntries { l -> def p = l.split(' ', 3); [(p[0]): p[1]] }
assert codes['/'] == '200' && codes['/some/route'] == '200'
assert codes['/assets/nope.js'] == '404'
assert codes['/assets/app.1a2b3c4d.js'] == '200'
return true
