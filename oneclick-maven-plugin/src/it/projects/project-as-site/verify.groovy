def log = new File(basedir, 'build.log').text
assert log.contains('holds notify.sh at its top') : 'the error names notify.sh'
assert log.contains('Point siteDir at the build output')
assert !log.contains('not-a-real-secret')
assert !log.contains('Files: ') : 'nothing was uploaded'
return true
