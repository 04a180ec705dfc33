#!/bin/sh
# concatenate every profile into one report
cat outputs/minds/*/profile.yaml > outputs/report.txt
