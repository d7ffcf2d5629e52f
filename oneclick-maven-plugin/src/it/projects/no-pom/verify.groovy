assert !new File(basedir, 'pom.xml').exists()
def log = new File(basedir, 'build.log').text
def json = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/oneclick/resources.json'))
assert json.s3Bucket == 'tmux-builder-3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a'
assert log =~ /Files: 2 uploaded/
// the status goal (not deploy, which prints the record too) reads the record back
def sections = [:]
log.split(/(?m)^\[INFO\] --- /).drop(1).each { s ->
    def m = s =~ /^oneclick-maven-plugin:[^:]+:([a-z-]+) /
    if (m.find()) {
        sections[m.group(1)] = s
    }
}
assert sections.keySet() as List == ['deploy', 'plan', 'status', 'install-skills', 'destroy'] : "goals ran: ${sections.keySet()}"
def status = ['', sections['status']]
assert status[1].contains('projectId:   3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a')
assert status[1].contains('status:      DEPLOYED')
assert status[1].contains('"s3Bucket" : "tmux-builder-3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a"')
// plan after the deploy: nothing to do
assert sections['plan'].contains('Plan: 0 to upload (0 bytes), 0 header updates, 0 to delete, 2 unchanged (nothing to do)')
// install-skills into the current folder
assert new File(basedir, '.claude/skills/1-click-deploy/SKILL.md').isFile()
// destroy marks the record DESTROYED
assert sections['destroy'].contains('Destroyed 3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a: status DESTROYED')
return true
