def log = new File(basedir, 'build.log').text
assert log.contains('Invalid oneclick.guid') : 'the failure names oneclick.guid'
assert log.contains('not-a-guid')
// refused before anything started
assert !log.contains('Starting the local AWS endpoints')
assert !new File(basedir, 'target/oneclick/resources.json').exists()
return true
