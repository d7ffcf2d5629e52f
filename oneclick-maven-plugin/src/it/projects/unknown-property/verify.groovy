def log = new File(basedir, 'build.log').text
def siteDir = '[WARNING] Unknown property oneclick.sitedir is ignored: it names no parameter of oneclick:plan: did you mean oneclick.siteDir? (property names are case-sensitive)'
def localDir = '[WARNING] Unknown property oneclick.locl.dir is ignored: it names no parameter of oneclick:plan: did you mean oneclick.local.dir?'
assert log.contains(siteDir) : 'the mistyped oneclick.sitedir is reported with its correct spelling'
assert log.contains(localDir) : 'the mistyped oneclick.locl.dir is reported with the nearest parameter'
assert log.count('Unknown property oneclick.sitedir') == 1 : 'reported once per run, not once per goal'
assert log.count('Unknown property oneclick.locl.dir') == 1
assert !log.contains('Unknown property oneclick.local.keepRunning') : 'a parameter of another goal is no typo'
assert !log.contains('Unknown property oneclick.target') && !log.contains('Unknown property oneclick.userId')
// the goals still ran, with the site folder of the POM (the mistyped property changed nothing)
assert log.contains('Plan for 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d')
return true
