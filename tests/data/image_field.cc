// Image input for given fields (read_image_field; card B3's nucleoplasm
// fraction from a microscopy-like map):
// - a plain (P2) and a raw 16-bit (P5) PGM of a linear gray ramp,
//   g = i + 2 j (i the column, j the row counted from the bottom), over the
//   box [1, 3] x [0, 1]: the bilinear interpolant of a linear ramp is the
//   ramp, so the field matches g / maxval, continued linearly between the
//   pixel centres, at any point to 1e-12 (which also checks that the first
//   row of the file is the top);
// - the structured-grid .vtk of the observation files gives its field;
// - a broken header, a gray value above the maximum and a short file raise
//   errors that name the file (and line).

#include <deal.II/base/mpi.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/data/image_field.h>
#include <mollifem/data/observation_io.h>

#include <fstream>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  const unsigned int width = 5, height = 4;
  const unsigned int maxval = (width - 1) + 2 * (height - 1);

  /// The exact field: g / maxval at the pixel centres, linear in between.
  double
  ramp(const Point<2> &p)
  {
    const double i = (p[0] - 1.) / 2. * (width - 1);
    const double j = p[1] * (height - 1);
    return (i + 2. * j) / maxval;
  }

  double
  largest_error(const Function<2> &field)
  {
    double error = 0.;
    for (unsigned int k = 0; k < 50; ++k)
      {
        const Point<2> p(1. + 2. * std::fmod(0.37 * k + 0.1, 1.),
                         std::fmod(0.61 * k + 0.05, 1.));
        error = std::max(error, std::abs(field.value(p) - ramp(p)));
      }
    return error;
  }

  void
  expect_error(const std::string &description, const std::string &content)
  {
    std::ofstream("bad.pgm", std::ios::binary) << content;
    testing::log() << description << ": ";
    try
      {
        read_image_field<2>("bad.pgm",
                            BoundingBox<2>(std::make_pair(Point<2>(0, 0),
                                                          Point<2>(1, 1))));
        testing::log() << "no error" << std::endl;
      }
    catch (const ExceptionBase &e)
      {
        testing::log() << user_message(e) << std::endl;
      }
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const BoundingBox<2> box(std::make_pair(Point<2>(1., 0.), Point<2>(3., 1.)));
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      std::ofstream plain("ramp.pgm");
      plain << "P2\n# a linear ramp\n" << width << " " << height << "\n"
            << maxval << "\n";
      std::ofstream raw("ramp16.pgm", std::ios::binary);
      // A maximum above 255: two bytes per pixel, most significant first.
      raw << "P5 " << width << " " << height << " " << 256 * maxval << "\n";
      for (unsigned int row = 0; row < height; ++row)
        {
          for (unsigned int i = 0; i < width; ++i)
            {
              const unsigned int g = i + 2 * (height - 1 - row);
              plain << g << (i + 1 < width ? " " : "\n");
              const unsigned int g16 = 256 * g;
              raw.put(static_cast<char>(g16 / 256));
              raw.put(static_cast<char>(g16 % 256));
            }
        }
    }
  MPI_Barrier(MPI_COMM_WORLD);
  testing::log() << "P2 ramp reproduced to 1e-12: "
                 << testing::yes_no(
                      largest_error(*read_image_field<2>("ramp.pgm", box).function) <
                      1e-12)
                 << std::endl
                 << "P5 (16 bit) ramp reproduced to 1e-12: "
                 << testing::yes_no(
                      largest_error(*read_image_field<2>("ramp16.pgm", box).function) <
                      1e-12)
                 << std::endl;

  // The observation format: the same ramp on a structured grid.
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      Observations<2> image;
      image.grid = StructuredGrid<2>::spanning(Point<2>(1., 0.),
                                               Point<2>(3., 1.),
                                               {{width, height}});
      image.points = image.grid->points();
      image.values.resize(1);
      for (const auto &p : image.points)
        image.values[0].push_back(ramp(p));
      image.field_name = "phi_w";
      ObservationIO::write(image, "ramp.vtk");
    }
  MPI_Barrier(MPI_COMM_WORLD);
  testing::log() << "VTK ramp reproduced to 1e-12: "
                 << testing::yes_no(
                      largest_error(*read_image_field<2>("ramp.vtk", box).function) <
                      1e-12)
                 << std::endl;

  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      expect_error("not a graymap", "P3\n2 2\n255\n1 2 3 4\n");
      expect_error("gray value above the maximum", "P2\n2 2\n10\n1 2\n3 11\n");
      expect_error("too few values", "P2\n2 2\n10\n1 2 3\n");
      expect_error("width not a number", "P2\nwide 2\n10\n1 2 3 4\n");
    }
  return 0;
}
