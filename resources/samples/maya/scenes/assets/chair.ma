//Maya ASCII 2024 scene
//Name: chair.ma
//rv_dcc sample placeholder (not a real scene)
requires maya "2024";
requires -nodeType "aiOptions" "mtoa" "5.3.4";
