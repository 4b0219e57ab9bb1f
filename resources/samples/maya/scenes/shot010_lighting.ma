//Maya ASCII 2024 scene
//Name: shot010_lighting.ma
//rv_dcc sample placeholder (not a real scene)
requires maya "2024";
requires -nodeType "aiOptions" "mtoa" "5.3.4";
file -rdi 1 -ns "chair" -rfn "chairRN" "scenes/assets/chair.ma";
