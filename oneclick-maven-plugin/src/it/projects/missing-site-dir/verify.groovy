def log = new File(basedir, 'build.log').text
assert log.contains('Invalid oneclick.siteDir') : 'the failure names oneclick.siteDir'
assert log.contains('does-not-exist')
assert !log.contains('Starting the local AWS endpoints')
return true
