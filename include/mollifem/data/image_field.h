#ifndef mollifem_data_image_field_h
#define mollifem_data_image_field_h

#include <deal.II/base/bounding_box.h>
#include <deal.II/base/function.h>

#include <memory>
#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * A given scalar field read from an image-like file, as a microscopy map
   * would be given (card B3's nucleoplasm fraction), interpolated bilinearly
   * between its pixels (deal.II's InterpolatedUniformGridData; constant
   * beyond the outermost pixel centres):
   *
   * - `.pgm` (2D): a plain (P2, ASCII) or raw (P5, 8 or 16 bit) portable
   *   graymap; gray level g becomes g / maxval in [0, 1]. The pixel centres
   *   span @p box, the first row of the file at the top (largest y).
   * - `.vtk`: the structured grid of the observation files
   *   (ObservationIO, legacy `STRUCTURED_POINTS`), its first array, at the
   *   points its ORIGIN and SPACING give (@p box is not used).
   *
   * Problems with the file raise ExcFile naming it (and the line, for
   * errors in the header).
   */
  template <int dim>
  struct ImageField
  {
    std::shared_ptr<Function<dim>> function;
    /// The smallest pixel spacing: the scale below which the field has no
    /// information (difference quotients need steps at least this long).
    double pixel_size;
  };

  template <int dim>
  ImageField<dim>
  read_image_field(const std::string &filename, const BoundingBox<dim> &box);
} // namespace mollifem

#endif
