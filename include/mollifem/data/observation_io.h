#ifndef mollifem_data_observation_io_h
#define mollifem_data_observation_io_h

#include <mollifem/data/observations.h>

#include <string>

namespace mollifem
{
  /**
   * Reading and writing observation files. Two formats, chosen by the
   * extension:
   *
   * - `.csv`: a header line naming the columns, then one observation per
   *   row. The columns are the coordinates (`x`, `y`, `z` as far as the
   *   dimension goes), optionally the time `t`, and exactly one value column,
   *   whose name is the name of the observed field (e.g. `u`); their order is
   *   free. Lines starting with `#` and empty lines are ignored. With a `t`
   *   column every time must list the same points in the same order.
   *
   * - `.vtk`: an image-like structured grid in the ASCII legacy VTK format
   *   (`DATASET STRUCTURED_POINTS`), which ParaView opens as it is:
   *   `DIMENSIONS`, `ORIGIN`, `SPACING` (unused directions have dimension 1),
   *   optionally `FIELD FieldData 1` with an array `TIME 1 n double` listing
   *   the n observation times, then `POINT_DATA N` with one `SCALARS` array
   *   per time (N values each, x fastest, then y, then z).
   *
   * Every problem (missing or empty file, wrong columns, a field that is not
   * a number, NaN or infinity, sizes that do not match) raises ExcFile
   * naming the file and line.
   */
  namespace ObservationIO
  {
    /// Read observations from a .csv or .vtk file.
    template <int dim>
    Observations<dim>
    read(const std::string &filename);

    /// Write observations to a .csv or .vtk file (atomically). The .vtk
    /// format needs observations on a structured grid.
    template <int dim>
    void
    write(const Observations<dim> &observations, const std::string &filename);

    /// Read only the points of a .csv file (coordinate columns; any other
    /// columns are ignored).
    template <int dim>
    Observations<dim>
    read_points(const std::string &filename);

    template <int dim>
    Observations<dim>
    read_csv(const std::string &filename, const bool values_required = true);

    template <int dim>
    void
    write_csv(const Observations<dim> &observations,
              const std::string &      filename);

    template <int dim>
    Observations<dim>
    read_vtk(const std::string &filename);

    template <int dim>
    void
    write_vtk(const Observations<dim> &observations,
              const std::string &      filename);

    /// True if @p filename ends in @p extension (with the dot, e.g. ".csv").
    bool
    has_extension(const std::string &filename, const std::string &extension);
  } // namespace ObservationIO
} // namespace mollifem

#endif
