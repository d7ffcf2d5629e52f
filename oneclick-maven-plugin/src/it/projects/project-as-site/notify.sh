#!/bin/sh
# the project notify script (holds the signing secret)
SECRET=not-a-real-secret
