# doc/images/b3_lambda.png, the README's picture: card B3's lambda(x), the
# truth and stage 2's recovery from phi_d with 1% noise on 64 x 64 cells.
# Made from case_3/coefficient_grid.dat of `mollifem prm/study_chromatin.prm`:
#   cd output-study-chromatin && gnuplot /path/to/doc/images/b3_lambda.gp
set terminal pngcairo size 900,400 noenhanced font ",11"
set output "b3_lambda.png"
set view map
set size ratio -1
unset key
set palette rgb 33,13,10
stats "case_3/coefficient_grid.dat" using 4 nooutput
set cbrange [STATS_min:STATS_max]
set multiplot layout 1,2 title "B3: the reaction-rate ratio lambda(x), from 1% noisy phi_d"
set title "ground truth"
splot "case_3/coefficient_grid.dat" using 1:2:4 with pm3d
set title "recovered (stage 2, 64 x 64 cells, correlation 0.997)"
splot "case_3/coefficient_grid.dat" using 1:2:3 with pm3d
unset multiplot
