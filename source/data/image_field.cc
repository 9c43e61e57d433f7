#include <deal.II/base/function_lib.h>
#include <deal.II/base/table.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/data/image_field.h>
#include <mollifem/data/observation_io.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace mollifem
{
  namespace
  {
    /// The tokens of a PGM file (comments from '#' to the end of the line
    /// skipped), with the line of the last one.
    struct Tokens
    {
      std::istream &in;
      unsigned int  line       = 1;
      unsigned int  token_line = 1;

      std::string
      next()
      {
        std::string token;
        char        c;
        while (in.get(c))
          {
            if (c == '#' && token.empty())
              {
                std::string comment;
                std::getline(in, comment);
                ++line;
              }
            else if (std::isspace(static_cast<unsigned char>(c)))
              {
                const bool end = !token.empty();
                if (c == '\n')
                  ++line;
                if (end)
                  return token;
              }
            else
              {
                if (token.empty())
                  token_line = line;
                token += c;
              }
          }
        return token;
      }
    };



    unsigned int
    header_number(Tokens &           tokens,
                  const std::string &filename,
                  const std::string &what)
    {
      const std::string  token = tokens.next();
      const unsigned int line  = tokens.token_line;
      AssertThrow(!token.empty() &&
                    token.find_first_not_of("0123456789") == std::string::npos &&
                    token.size() < 9 && std::stoul(token) > 0,
                  ExcFile(filename,
                          line,
                          "the " + what + " must be a positive integer, not '" +
                            token + "'."));
      return std::stoul(token);
    }

    /// Gray levels / maxval, row by row from the top as stored.
    Table<2, double>
    read_pgm(const std::string &filename)
    {
      std::ifstream in(filename, std::ios::binary);
      AssertThrow(in, ExcFile(filename, 0, "cannot be opened."));
      Tokens            tokens{in};
      const std::string magic = tokens.next();
      AssertThrow(magic == "P2" || magic == "P5",
                  ExcFile(filename,
                          tokens.token_line,
                          "not a portable graymap: the file must begin with "
                          "P2 (plain) or P5 (raw), not '" +
                            magic + "'."));
      const unsigned int width  = header_number(tokens, filename, "width");
      const unsigned int height = header_number(tokens, filename, "height");
      const unsigned int maxval =
        header_number(tokens, filename, "maximum gray value");
      const unsigned int line = tokens.token_line;
      AssertThrow(maxval < 65536,
                  ExcFile(filename, line, "the maximum gray value must be < 65536."));
      AssertThrow(width >= 2 && height >= 2,
                  ExcFile(filename, line, "the image needs at least 2 x 2 pixels."));

      Table<2, double> gray(height, width);
      for (unsigned int row = 0; row < height; ++row)
        for (unsigned int column = 0; column < width; ++column)
          {
            unsigned int value = 0;
            if (magic == "P2")
              {
                const std::string token = tokens.next();
                AssertThrow(!token.empty() &&
                              token.find_first_not_of("0123456789") ==
                                std::string::npos &&
                              token.size() < 7,
                            ExcFile(filename,
                                    token.empty() ? tokens.line :
                                                    tokens.token_line,
                                    token.empty() ?
                                      "fewer gray values than width x height." :
                                      "'" + token + "' is not a gray value."));
                value = std::stoul(token);
              }
            else
              {
                unsigned char bytes[2] = {0, 0};
                in.read(reinterpret_cast<char *>(bytes), maxval < 256 ? 1 : 2);
                AssertThrow(in,
                            ExcFile(filename,
                                    0,
                                    "the raw data end before width x height "
                                    "pixels."));
                value = maxval < 256 ? bytes[0] : 256u * bytes[0] + bytes[1];
              }
            AssertThrow(value <= maxval,
                        ExcFile(filename,
                                magic == "P2" ? tokens.token_line : 0,
                                "gray value " + std::to_string(value) +
                                  " above the maximum " +
                                  std::to_string(maxval) + "."));
            gray(row, column) = double(value) / maxval;
          }
      return gray;
    }
  } // namespace



  template <int dim>
  ImageField<dim>
  read_image_field(const std::string &filename, const BoundingBox<dim> &box)
  {
    if (ObservationIO::has_extension(filename, ".pgm"))
      {
        if constexpr (dim == 2)
          {
            const Table<2, double> gray   = read_pgm(filename);
            const unsigned int     height = gray.size(0), width = gray.size(1);
            // InterpolatedUniformGridData indexes data(i_x, i_y), y upwards.
            Table<2, double> data(width, height);
            for (unsigned int i = 0; i < width; ++i)
              for (unsigned int j = 0; j < height; ++j)
                data(i, j) = gray(height - 1 - j, i);
            std::array<std::pair<double, double>, 2> endpoints = {
              {{box.lower_bound(0), box.upper_bound(0)},
               {box.lower_bound(1), box.upper_bound(1)}}};
            std::array<unsigned int, 2> intervals = {{width - 1, height - 1}};
            const double pixel = std::min(box.side_length(0) / (width - 1),
                                          box.side_length(1) / (height - 1));
            return {std::make_shared<Functions::InterpolatedUniformGridData<2>>(
                      std::move(endpoints), std::move(intervals), std::move(data)),
                    pixel};
          }
        else
          AssertThrow(false,
                      ExcFile(filename, 0, "a PGM image gives a 2D field only."));
      }

    AssertThrow(ObservationIO::has_extension(filename, ".vtk"),
                ExcFile(filename,
                        0,
                        "an image field is read from a .pgm or a .vtk "
                        "(structured points) file."));
    const auto image = ObservationIO::read_vtk<dim>(filename);
    AssertThrow(image.grid.has_value(),
                ExcFile(filename, 0, "the data are not on a structured grid."));
    const auto &                               grid = *image.grid;
    std::array<std::pair<double, double>, dim> endpoints;
    std::array<unsigned int, dim>              intervals;
    TableIndices<dim>                          sizes;
    for (unsigned int d = 0; d < dim; ++d)
      {
        sizes[d] = grid.n_points[d];
        AssertThrow(sizes[d] >= 2,
                    ExcFile(filename,
                            0,
                            "an image field needs at least two points per "
                            "direction."));
        endpoints[d] = {grid.origin[d],
                        grid.origin[d] + (sizes[d] - 1) * grid.spacing[d]};
        intervals[d] = sizes[d] - 1;
      }
    Table<dim, double> data;
    data.reinit(sizes);
    // x fastest, then y, then z: the order of the grid's points.
    for (unsigned int k = 0; k < image.values.front().size(); ++k)
      {
        TableIndices<dim> index;
        unsigned int      rest = k;
        for (unsigned int d = 0; d < dim; ++d)
          {
            index[d] = rest % sizes[d];
            rest /= sizes[d];
          }
        data(index) = image.values.front()[k];
      }
    return {std::make_shared<Functions::InterpolatedUniformGridData<dim>>(
              std::move(endpoints), std::move(intervals), std::move(data)),
            *std::min_element(grid.spacing.begin(), grid.spacing.end())};
  }



  template ImageField<1>
  read_image_field(const std::string &, const BoundingBox<1> &);
  template ImageField<2>
  read_image_field(const std::string &, const BoundingBox<2> &);
  template ImageField<3>
  read_image_field(const std::string &, const BoundingBox<3> &);
} // namespace mollifem
