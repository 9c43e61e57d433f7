// Every kind of bad observation file raises an error that names the file and
// the line (missing, empty, wrong columns, a field that is not a number, NaN
// or infinity, a row with too few fields, inconsistent times, grid sizes that
// do not match), and a good file next to them is read.

#include <deal.II/base/mpi.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/data/observation_io.h>

#include <fstream>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

void
check(const std::string &name, const std::string &content)
{
  if (!content.empty() || name.find("empty") != std::string::npos)
    std::ofstream(name) << content;
  try
    {
      const auto observations = ObservationIO::read<2>(name);
      testing::log() << name << ": read " << observations.n_points()
                     << " points" << std::endl;
    }
  catch (const std::exception &exception)
    {
      testing::log() << name << ": " << user_message(exception) << std::endl;
    }
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  check("good.csv", "# a comment\nx,y,u\n0,0,1\n0.5,0.5,2\n");
  check("missing.csv", "");
  check("empty.csv", "");
  check("comments_only.csv", "# nothing\n\n");
  check("header_only.csv", "x,y,u\n");
  check("no_y.csv", "x,u\n0,1\n");
  check("two_values.csv", "x,y,u,v\n0,0,1,2\n");
  check("unnamed_column.csv", "x,,u\n0,0,1\n");
  check("duplicate_column.csv", "x,y,x,u\n0,0,0,1\n");
  check("not_a_number.csv", "x,y,u\n0,0,1\n0.5,abc,2\n");
  check("nan.csv", "x,y,u\n0,0,1\n0.5,0.5,nan\n");
  check("inf.csv", "x,y,u\n0,0,inf\n");
  check("short_row.csv", "x,y,u\n0,0,1\n0.5,0.5\n");
  check("times_differ.csv", "x,y,t,u\n0,0,0,1\n1,1,0,2\n0,0,1,3\n1,0.5,1,4\n");
  check("times_count.csv", "x,y,t,u\n0,0,0,1\n1,1,0,2\n0,0,1,3\n");
  check("unknown.txt", "x,y,u\n0,0,1\n");

  const std::string header = "# vtk DataFile Version 3.0\ntitle\nASCII\n"
                             "DATASET STRUCTURED_POINTS\n";
  check("good.vtk",
        header + "DIMENSIONS 2 2 1\nORIGIN 0 0 0\nSPACING 1 1 1\n"
                 "POINT_DATA 4\nSCALARS u double 1\nLOOKUP_TABLE default\n"
                 "1 2\n3 4\n");
  check("not_vtk.vtk", "x,y,u\n");
  check("binary.vtk",
        "# vtk DataFile Version 3.0\ntitle\nBINARY\nDATASET STRUCTURED_POINTS\n");
  check("size_mismatch.vtk",
        header + "DIMENSIONS 2 2 1\nORIGIN 0 0 0\nSPACING 1 1 1\n"
                 "POINT_DATA 5\nSCALARS u double 1\nLOOKUP_TABLE default\n"
                 "1 2\n3 4 5\n");
  check("too_few_values.vtk",
        header + "DIMENSIONS 2 2 1\nORIGIN 0 0 0\nSPACING 1 1 1\n"
                 "POINT_DATA 4\nSCALARS u double 1\nLOOKUP_TABLE default\n"
                 "1 2\n3\n");
  check("three_d.vtk",
        header + "DIMENSIONS 2 2 2\nORIGIN 0 0 0\nSPACING 1 1 1\n"
                 "POINT_DATA 8\nSCALARS u double 1\nLOOKUP_TABLE default\n"
                 "1 2 3 4 5 6 7 8\n");
  check("value_nan.vtk",
        header + "DIMENSIONS 2 2 1\nORIGIN 0 0 0\nSPACING 1 1 1\n"
                 "POINT_DATA 4\nSCALARS u double 1\nLOOKUP_TABLE default\n"
                 "1 2\n3 NaN\n");
  check("times_mismatch.vtk",
        header + "DIMENSIONS 2 1 1\nORIGIN 0 0 0\nSPACING 1 1 1\n"
                 "FIELD FieldData 1\nTIME 1 2 double\n0 1\n"
                 "POINT_DATA 2\nSCALARS u_0 double 1\nLOOKUP_TABLE default\n"
                 "1 2\n");
}
