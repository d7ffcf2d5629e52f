assert !new File(basedir, 'pom.xml').exists()
def log = new File(basedir, 'build.log').text
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/oneclick/resources.json'))
assert json.s3Bucket == 'tmux-builder-3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a'
assert log =~ /Files: 2 uploaded/
// the status goal (not deploy, which prints the record too) reads the record back
def status = log.split(/(?m)^\[INFO\] --- oneclick-maven-plugin:[^:]+:status /)
assert status.size() == 2 : 'the status goal ran once'
assert status[1].contains('projectId:   3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a')
assert status[1].contains('status:      DEPLOYED')
assert status[1].contains('"s3Bucket" : "tmux-builder-3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a"')
return true
