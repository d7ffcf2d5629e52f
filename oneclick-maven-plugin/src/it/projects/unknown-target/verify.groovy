def log = new File(basedir, 'build.log').text
assert log.contains("Unknown oneclick.target 'moon'") : 'the failure names oneclick.target'
return true
